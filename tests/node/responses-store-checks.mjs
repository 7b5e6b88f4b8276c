// Stored responses with the official OpenAI JavaScript client (npm `openai`) against a running Spillway gateway.
//
//   node tests/node/responses-store-checks.mjs GATEWAY_URL FIRST_MODEL SECOND_MODEL FIRST_TEXT SECOND_TEXT
//
// The first turn is served by FIRST_MODEL (answering FIRST_TEXT), the follow-up naming it in previous_response_id
// by SECOND_MODEL (answering SECOND_TEXT), which may be another upstream format: the gateway carries the conversation.
// Then: retrieve, a streamed follow-up, store: false (nothing to continue: 400 previous_response_not_found), delete
// and a retrieve after it (404). Prints one JSON summary on stdout and exits 1 when any check failed, 2 on bad arguments.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const [url, firstModel, secondModel, firstText, secondText] = process.argv.slice(2);
if (!url || !firstModel || !secondModel || firstText === undefined || secondText === undefined) {
  console.error('usage: node responses-store-checks.mjs GATEWAY_URL FIRST_MODEL SECOND_MODEL FIRST_TEXT SECOND_TEXT');
  process.exit(2);
}

const base = url.replace(/\/+$/, '');
const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'not-needed-on-loopback', maxRetries: 0, timeout: 30_000 });
const firstQuestion = 'My name is Ada. Please remember it.';

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function checkText(text, expected, where) {
  check(text === expected, `${where}: expected text ${JSON.stringify(expected)}, got ${JSON.stringify(text)}`);
}

async function refusal(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be refused, and it was answered');
}

// What the checks share: the ids made along the way.
const made = {};

async function create() {
  const response = await openai.responses.create({ model: firstModel, input: firstQuestion, instructions: 'Be brief.' });
  checkText(response.output_text, firstText, 'first turn');
  check(response.store === true, `first turn: store is ${response.store}, expected true (the default)`);
  made.first = response.id;
  return { id: response.id };
}

async function retrieve() {
  const response = await openai.responses.retrieve(made.first);
  check(response.id === made.first, `retrieve: got id ${response.id}, expected ${made.first}`);
  checkText(response.output_text, firstText, 'retrieve');
  return { status: response.status };
}

async function previous() {
  const response = await openai.responses.create({ model: secondModel, input: 'What is my name?', previous_response_id: made.first });
  checkText(response.output_text, secondText, 'follow-up');
  check(response.previous_response_id === made.first, `follow-up: previous_response_id is ${response.previous_response_id}`);
  made.second = response.id;
  return { id: response.id };
}

async function previousStream() {
  const stream = openai.responses.stream({ model: firstModel, input: 'And again?', previous_response_id: made.second });
  let text = '';
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') {
      text += event.delta;
    }
  }
  const final = await stream.finalResponse();
  checkText(text, firstText, 'streamed follow-up');
  check(final.previous_response_id === made.second, `streamed follow-up: previous_response_id is ${final.previous_response_id}`);
  const stored = await openai.responses.retrieve(final.id);
  checkText(stored.output_text, firstText, 'streamed follow-up, retrieved');
  return { id: final.id };
}

async function storeFalse() {
  const response = await openai.responses.create({ model: firstModel, input: firstQuestion, store: false });
  check(response.store === false, `store: false: the answer says store ${response.store}`);
  const error = await refusal(openai.responses.create({ model: firstModel, input: 'What is my name?', previous_response_id: response.id }));
  check(error instanceof OpenAI.BadRequestError, `store: false follow-up: expected a BadRequestError, got ${error?.name}: ${error?.message}`);
  check(error.code === 'previous_response_not_found', `store: false follow-up: code ${error.code}`);
  check(error.param === 'previous_response_id', `store: false follow-up: param ${error.param}`);
  return { status: error.status, code: error.code };
}

async function remove() {
  await openai.responses.delete(made.first);
  const error = await refusal(openai.responses.retrieve(made.first));
  check(error instanceof OpenAI.NotFoundError, `retrieve after delete: expected a NotFoundError, got ${error?.name}: ${error?.message}`);
  const again = await refusal(openai.responses.delete(made.first));
  check(again instanceof OpenAI.NotFoundError, `delete twice: expected a NotFoundError, got ${again?.name}: ${again?.message}`);
  return { status: error.status };
}

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
  } catch {
    return null;
  }
}

const checks = [
  ['responses.create', create],
  ['responses.retrieve', retrieve],
  ['responses.previous', previous],
  ['responses.previous.stream', previousStream],
  ['responses.store_false', storeFalse],
  ['responses.delete', remove],
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
  clients: { openai: installedVersion('openai') },
  passed: results.length - failed,
  failed,
  checks: results,
}, null, 2));
process.exit(failed === 0 ? 0 : 1);
