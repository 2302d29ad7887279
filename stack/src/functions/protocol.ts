/** The line deno-entry.ts prints on stdout once the function listens: `<marker> <port>`. */
export const LISTENING_MARKER = '@@stack-function-listening';
