/** Where the console is mounted. */
export const ADMIN_ROOT_PATH = '/admin'
