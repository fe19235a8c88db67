// Audit event ids and file sizes are BIGINT. JSON.stringify throws on a bigint, and AdminJS
// serialises records with it, so give bigint a JSON form: its decimal string (exact, unlike a
// number past 2^53).
declare global {
  interface BigInt {
    toJSON(): string
  }
}

if (!('toJSON' in BigInt.prototype)) {
  Object.defineProperty(BigInt.prototype, 'toJSON', {
    value: function toJSON(this: bigint) {
      return this.toString()
    },
    writable: true,
    configurable: true,
  })
}

export {}
