// The executable's entry: run the CLI, then exit with its code (Docker's keep-alive sockets must
// not hold the process open).
import { main } from './main.js';

const code = await main(process.argv.slice(2));
process.exit(code);
