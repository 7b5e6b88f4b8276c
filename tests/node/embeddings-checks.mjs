// The official OpenAI JavaScript client's embeddings against a running Spillway gateway.
//
//   node tests/node/embeddings-checks.mjs GATEWAY_URL MODEL [DIMENSIONS]
//   (or SPILLWAY_URL, SPILLWAY_MODEL, SPILLWAY_DIMENSIONS in the environment)
//
// Runs `client.embeddings.create` with one string (the client asks for base64 itself and decodes it), a list of
// strings with `dimensions`, and `encoding_format: "float"`; each check reports the gateway's x-spillway-route and
// x-spillway-attempts headers. Prints one JSON summary on stdout and exits 1 when any check failed, 2 on bad arguments.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const [url, model, dimensionsText] = [
  process.argv[2] ?? process.env.SPILLWAY_URL,
  process.argv[3] ?? process.env.SPILLWAY_MODEL,
  process.argv[4] ?? process.env.SPILLWAY_DIMENSIONS ?? '16',
];
const dimensions = Number.parseInt(dimensionsText, 10);
if (!url || !model || !(dimensions > 0)) {
  console.error('usage: node embeddings-checks.mjs GATEWAY_URL MODEL [DIMENSIONS]');
  process.exit(2);
}

const base = url.replace(/\/+$/, '');
const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'not-needed-on-loopback', maxRetries: 0, timeout: 30_000 });

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

// A vector the client decoded: numbers, all finite, of unit length (the simulators' and real models' vectors are).
function checkVector(vector, length, where) {
  check(Array.isArray(vector), `${where}: the embedding is not an array: ${typeof vector}`);
  if (length !== undefined) {
    check(vector.length === length, `${where}: expected ${length} values, got ${vector.length}`);
  }
  check(vector.length > 0 && vector.every(Number.isFinite), `${where}: not a vector of finite numbers`);
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
  check(Math.abs(norm - 1) < 1e-3, `${where}: expected a unit vector, its norm is ${norm}`);
}

async function create(body) {
  const { data, response } = await openai.embeddings.create(body).withResponse();
  check(data.object === 'list', `object is ${JSON.stringify(data.object)}`);
  check(data.usage?.prompt_tokens > 0, `no prompt_tokens in usage: ${JSON.stringify(data.usage)}`);
  return {
    data,
    headers: {
      route: response.headers.get('x-spillway-route'),
      attempts: Number(response.headers.get('x-spillway-attempts')),
      tried: response.headers.get('x-spillway-tried'),
    },
  };
}

async function oneString() {
  const { data, headers } = await create({ model, input: 'The food was delicious and the waiter was friendly.' });
  check(data.data.length === 1, `expected 1 embedding, got ${data.data.length}`);
  checkVector(data.data[0].embedding, undefined, 'embedding 0');
  return headers;
}

async function listWithDimensions() {
  const { data, headers } = await create({ model, input: ['first text', 'second text', 'third text'], dimensions });
  check(data.data.length === 3, `expected 3 embeddings, got ${data.data.length}`);
  data.data.forEach((item, i) => {
    check(item.index === i, `embedding ${i} has index ${item.index}`);
    checkVector(item.embedding, dimensions, `embedding ${i}`);
  });
  return headers;
}

async function floatFormat() {
  const { data, headers } = await create({ model, input: ['float please'], dimensions, encoding_format: 'float' });
  checkVector(data.data[0].embedding, dimensions, 'embedding 0');
  return headers;
}

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
  } catch {
    return null;
  }
}

const checks = [
  ['openai.embeddings.string', oneString],
  ['openai.embeddings.list', listWithDimensions],
  ['openai.embeddings.float', floatFormat],
];

const results = [];
for (const [name, run] of checks) {
  try {
    results.push({ name, ok: true, detail: await run() });
  } catch (error) {
    results.push({ name, ok: false, error: `${error?.name ?? 'Error'}: ${error?.message ?? error}` });
  }
}

const failed = results.filter((r) => !r.ok).length;
console.log(JSON.stringify({
  ok: failed === 0,
  url: base,
  model,
  clients: { openai: installedVersion('openai') },
  passed: results.length - failed,
  failed,
  checks: results,
}, null, 2));
process.exit(failed === 0 ? 0 : 1);
