// Prints the console's access matrix as Markdown, for the README.
import { accessMatrixMarkdown } from '../src/admin/access.js'

console.log(accessMatrixMarkdown())
