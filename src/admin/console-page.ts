// The few console pages that are not AdminJS's (second factor, password change): plain
// server-rendered HTML in the console's colours, with no script.
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function consolePage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tip triage console</title>
<style>
  body { font-family: Arial, Helvetica, sans-serif; background: #f3f4f6; color: #111827; margin: 0; }
  main { max-width: 460px; margin: 64px auto; background: #fff; padding: 32px; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
  label { display: block; margin-top: 16px; font-weight: bold; }
  input { width: 100%; box-sizing: border-box; padding: 10px; margin-top: 6px; border: 1px solid #6b7280; border-radius: 4px; font-size: 16px; }
  button, .button { display: inline-block; margin-top: 24px; padding: 10px 18px; background: #1d4ed8; color: #fff; border: 0; border-radius: 4px; font-size: 16px; cursor: pointer; text-decoration: none; }
  .error { background: #fee2e2; color: #991b1b; padding: 12px; border-radius: 4px; }
  .hint { color: #4b5563; font-size: 14px; }
  .qr svg { width: 200px; height: 200px; }
  code { font-size: 15px; word-break: break-all; }
  ol.codes { columns: 2; font-family: monospace; font-size: 17px; }
</style></head>
<body><main>
${body}
</main></body></html>`
}
