// Writes the full datamodel DMMF to <output>/dmmf.json for AdminJS (see STACK.md: the client's
// runtime DMMF is slimmed under engineType = "client", so AdminJS would find no ids or relations).
const { generatorHandler } = require('@prisma/generator-helper')
const fs = require('node:fs')
const path = require('node:path')

generatorHandler({
  onManifest: () => ({ defaultOutput: './generated', prettyName: 'AdminJS DMMF' }),
  onGenerate: async (options) => {
    const dir = options.generator.output.value
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'dmmf.json'), JSON.stringify(options.dmmf.datamodel))
  },
})
