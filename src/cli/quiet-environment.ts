// Imported first by main.ts, so it runs before any library loads: dotenv (which `natural`'s index
// pulls in) prints a banner to stdout unless told to be quiet, and the score command's stdout
// must hold nothing but JSON lines. The scorer imports only natural's deep paths; this is the
// second guard.
process.env.DOTENV_CONFIG_QUIET = 'true';

export {};
