// Forge operations with Taquito's local forger: stdin = JSON list of {branch, contents}, stdout = JSON list of hex.
const { LocalForger } = require('@taquito/local-forging');

let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', async () => {
  const forger = new LocalForger();
  const out = [];
  for (const op of JSON.parse(input)) {
    out.push(await forger.forge(op));
  }
  process.stdout.write(JSON.stringify(out));
});
