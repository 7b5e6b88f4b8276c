// The official OpenAI, Anthropic and Google Gen AI JavaScript clients against a running Spillway gateway.
//
//   node tests/node/sdk-checks.mjs GATEWAY_URL MODEL [EXPECTED_TEXT]
//   (or SPILLWAY_URL, SPILLWAY_MODEL, SPILLWAY_EXPECT_TEXT in the environment)
//
// Runs, with each client: a text answer (and one through the Anthropic beta surface), a streamed text answer, a
// tool round trip (plain and streamed; Gemini's plain), the model list, and Gemini's token count; with the OpenAI
// client's Responses API also structured output and an image input, and the exact order of the streamed events. Prints one JSON summary on stdout and exits 1 when any
// check failed, 2 on bad arguments.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';

const [url, model, expectText] = [
  process.argv[2] ?? process.env.SPILLWAY_URL,
  process.argv[3] ?? process.env.SPILLWAY_MODEL,
  process.argv[4] ?? process.env.SPILLWAY_EXPECT_TEXT,
];
if (!url || !model) {
  console.error('usage: node sdk-checks.mjs GATEWAY_URL MODEL [EXPECTED_TEXT]');
  process.exit(2);
}

const base = url.replace(/\/+$/, '');
const apiKey = 'not-needed-on-loopback';
const openai = new OpenAI({ baseURL: `${base}/v1`, apiKey, maxRetries: 0, timeout: 30_000 });
const anthropic = new Anthropic({ baseURL: base, apiKey, maxRetries: 0, timeout: 30_000 });
const gemini = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: base, timeout: 30_000 } });

const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
};
const toolResultText = 'Sunny, 21 degrees';

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function checkText(text, where) {
  check(typeof text === 'string' && text.length > 0, `${where}: no text in the answer`);
  if (expectText !== undefined) {
    check(text === expectText, `${where}: expected text ${JSON.stringify(expectText)}, got ${JSON.stringify(text)}`);
  }
}

function checkCity(input, where) {
  check(input !== null && typeof input === 'object', `${where}: tool input is not an object: ${JSON.stringify(input)}`);
  check(typeof input.city === 'string', `${where}: tool input has no string "city": ${JSON.stringify(input)}`);
}

// ---- OpenAI client ------------------------------------------------------------------------------------------

const openaiTools = [
  { type: 'function', function: { name: 'get_weather', description: 'The weather in a city', parameters: weatherSchema } },
];

async function openaiText() {
  const completion = await openai.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'Say hello' }],
  });
  const choice = completion.choices[0];
  checkText(choice.message.content, 'openai text');
  check(choice.finish_reason === 'stop', `finish_reason ${choice.finish_reason}`);
  check(completion.usage?.prompt_tokens > 0 && completion.usage?.completion_tokens > 0, `usage ${JSON.stringify(completion.usage)}`);
  return { finish_reason: choice.finish_reason, usage: completion.usage };
}

async function openaiStream() {
  const stream = await openai.chat.completions.create({
    model,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Say hello' }],
  });
  let text = '';
  let finish = null;
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    check(chunk.object === 'chat.completion.chunk', `chunk object ${chunk.object}`);
    for (const choice of chunk.choices) {
      text += choice.delta?.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
    usage = chunk.usage ?? usage;
  }
  checkText(text, 'openai stream');
  check(finish === 'stop', `finish_reason ${finish}`);
  check(usage?.prompt_tokens > 0 && usage?.completion_tokens > 0, `usage ${JSON.stringify(usage)}`);
  return { chunks, finish_reason: finish, usage };
}

async function openaiToolRoundTrip(streamed) {
  const messages = [{ role: 'user', content: 'Weather in Paris?' }];
  const ask = async () => {
    if (!streamed) {
      return (await openai.chat.completions.create({ model, messages, tools: openaiTools })).choices[0];
    }
    // The SDK's stream helper accumulates the deltas and rejects an inconsistent tool-call sequence.
    const completion = await openai.chat.completions.stream({ model, messages, tools: openaiTools }).finalChatCompletion();
    return completion.choices[0];
  };

  const first = await ask();
  check(first.finish_reason === 'tool_calls', `first finish_reason ${first.finish_reason}`);
  const calls = first.message.tool_calls ?? [];
  check(calls.length === 1, `expected one tool call, got ${calls.length}`);
  const call = calls[0];
  check(call.type === 'function' && call.function.name === 'get_weather', `tool call ${JSON.stringify(call)}`);
  check(typeof call.id === 'string' && call.id.length > 0, 'tool call without id');
  checkCity(JSON.parse(call.function.arguments), 'openai tool call');

  messages.push({ role: 'assistant', content: null, tool_calls: [call] });
  messages.push({ role: 'tool', tool_call_id: call.id, content: toolResultText });
  const second = await ask();
  check(second.finish_reason === 'stop', `second finish_reason ${second.finish_reason}`);
  checkText(second.message.content, 'openai tool answer');
  return { tool_call_id: call.id, arguments: call.function.arguments };
}

async function openaiModels() {
  const ids = [];
  for await (const entry of openai.models.list()) {
    ids.push(entry.id);
  }
  check(ids.includes(model), `${model} not in ${JSON.stringify(ids)}`);
  return { ids };
}

// ---- Anthropic client ---------------------------------------------------------------------------------------

const anthropicTools = [{ name: 'get_weather', description: 'The weather in a city', input_schema: weatherSchema }];

function textOf(message) {
  return message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
}

async function anthropicText() {
  const message = await anthropic.messages.create({
    model,
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Say hello' }],
  });
  check(message.type === 'message' && message.role === 'assistant', `message ${message.type}/${message.role}`);
  checkText(textOf(message), 'anthropic text');
  check(message.stop_reason === 'end_turn', `stop_reason ${message.stop_reason}`);
  check(message.usage?.input_tokens > 0 && message.usage?.output_tokens > 0, `usage ${JSON.stringify(message.usage)}`);
  return { stop_reason: message.stop_reason, usage: message.usage };
}

async function anthropicBetaText() {
  // The beta surface (what Claude Code uses) posts to /v1/messages?beta=true.
  const message = await anthropic.beta.messages.create({
    model,
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Say hello' }],
  });
  checkText(textOf(message), 'anthropic beta text');
  check(message.stop_reason === 'end_turn', `stop_reason ${message.stop_reason}`);
  return { stop_reason: message.stop_reason };
}

async function anthropicStream() {
  // The SDK's MessageStream rejects events out of order (a delta before its block, a block before message_start).
  const stream = anthropic.messages.stream({
    model,
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Say hello' }],
  });
  const events = [];
  let text = '';
  stream.on('streamEvent', (event) => events.push(event.type));
  stream.on('text', (delta) => {
    text += delta;
  });
  const message = await stream.finalMessage();
  check(events[0] === 'message_start', `first event ${events[0]}`);
  check(events.at(-1) === 'message_stop', `last event ${events.at(-1)}`);
  checkText(text, 'anthropic stream');
  check(textOf(message) === text, 'final message text differs from the streamed deltas');
  check(message.stop_reason === 'end_turn', `stop_reason ${message.stop_reason}`);
  check(message.usage?.input_tokens > 0 && message.usage?.output_tokens > 0, `usage ${JSON.stringify(message.usage)}`);
  return { events, stop_reason: message.stop_reason, usage: message.usage };
}

async function anthropicToolRoundTrip(streamed) {
  const messages = [{ role: 'user', content: 'Weather in Paris?' }];
  const ask = () => {
    const body = { model, max_tokens: 256, messages, tools: anthropicTools };
    return streamed ? anthropic.messages.stream(body).finalMessage() : anthropic.messages.create(body);
  };

  const first = await ask();
  check(first.stop_reason === 'tool_use', `first stop_reason ${first.stop_reason}`);
  const uses = first.content.filter((b) => b.type === 'tool_use');
  check(uses.length === 1, `expected one tool_use block, got ${uses.length}`);
  const use = uses[0];
  check(use.name === 'get_weather', `tool_use name ${use.name}`);
  check(typeof use.id === 'string' && use.id.length > 0, 'tool_use without id');
  checkCity(use.input, 'anthropic tool_use');

  messages.push({ role: 'assistant', content: first.content });
  messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: toolResultText }] });
  const second = await ask();
  check(second.stop_reason === 'end_turn', `second stop_reason ${second.stop_reason}`);
  checkText(textOf(second), 'anthropic tool answer');
  return { tool_use_id: use.id, input: use.input };
}

async function anthropicModels() {
  const ids = [];
  for await (const entry of anthropic.models.list()) {
    check(entry.type === 'model', `model entry type ${entry.type}`);
    ids.push(entry.id);
  }
  check(ids.includes(model), `${model} not in ${JSON.stringify(ids)}`);
  return { ids };
}

// ---- OpenAI client, Responses API ---------------------------------------------------------------------------

async function openaiResponses() {
  const response = await openai.responses.create({ model, input: 'Say hello', instructions: 'Be brief.' });
  check(response.object === 'response', `object ${response.object}`);
  check(response.status === 'completed', `status ${response.status}`);
  checkText(response.output_text, 'openai responses');
  check(response.usage?.input_tokens > 0 && response.usage?.output_tokens > 0, `usage ${JSON.stringify(response.usage)}`);
  return { id: response.id, usage: response.usage };
}

async function openaiResponsesStream() {
  const stream = openai.responses.stream({ model, input: 'Say hello' });
  const types = [];
  let text = '';
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'response.output_text.delta') {
      text += event.delta;
    }
  }
  const final = await stream.finalResponse();
  // The documented order for one text answer: deltas only between the opening and closing events of its item.
  const opening = ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added'];
  const closing = ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed'];
  const middle = types.slice(opening.length, types.length - closing.length);
  check(JSON.stringify(types.slice(0, opening.length)) === JSON.stringify(opening), `opening events ${JSON.stringify(types.slice(0, 4))}`);
  check(JSON.stringify(types.slice(-closing.length)) === JSON.stringify(closing), `closing events ${JSON.stringify(types.slice(-4))}`);
  check(middle.length > 0 && middle.every((t) => t === 'response.output_text.delta'), `middle events ${JSON.stringify(middle)}`);
  checkText(text, 'openai responses stream');
  check(final.output_text === text, 'final response text differs from the streamed deltas');
  return { events: types.length };
}

async function openaiResponsesTools() {
  const tools = [{ type: 'function', name: 'get_weather', description: 'The weather in a city', parameters: weatherSchema, strict: false }];
  const input = [{ role: 'user', content: 'Weather in Paris?' }];
  const first = await openai.responses.create({ model, input, tools });
  const calls = first.output.filter((item) => item.type === 'function_call');
  check(calls.length === 1, `expected one function_call item, got ${JSON.stringify(first.output)}`);
  check(calls[0].name === 'get_weather', `function_call name ${calls[0].name}`);
  checkCity(JSON.parse(calls[0].arguments), 'openai responses function_call');
  const second = await openai.responses.create({
    model,
    tools,
    input: [...input, calls[0], { type: 'function_call_output', call_id: calls[0].call_id, output: toolResultText }],
  });
  checkText(second.output_text, 'openai responses tool answer');
  return { call_id: calls[0].call_id };
}

async function openaiResponsesStructured() {
  const response = await openai.responses.create({
    model,
    input: 'Weather in Paris, as JSON',
    text: { format: { type: 'json_schema', name: 'weather', schema: weatherSchema, strict: false } },
  });
  checkCity(JSON.parse(response.output_text), 'openai responses structured output');
  return { text: response.output_text };
}

// A 1×1 PNG, sent inline as a data URL.
const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function openaiResponsesImage() {
  const response = await openai.responses.create({
    model,
    input: [{ role: 'user', content: [{ type: 'input_text', text: 'What is in this image?' }, { type: 'input_image', image_url: pixel }] }],
  });
  checkText(response.output_text, 'openai responses image');
  return { id: response.id };
}

// ---- Google Gen AI client (Gemini's own API) ---------------------------------------------------------------

const geminiTools = [
  { functionDeclarations: [{ name: 'get_weather', description: 'The weather in a city', parametersJsonSchema: weatherSchema }] },
];

async function geminiText() {
  const response = await gemini.models.generateContent({ model, contents: 'Say hello' });
  checkText(response.text, 'gemini text');
  const candidate = response.candidates?.[0];
  check(candidate?.finishReason === 'STOP', `finishReason ${candidate?.finishReason}`);
  const usage = response.usageMetadata;
  check(usage?.promptTokenCount > 0 && usage?.candidatesTokenCount > 0, `usageMetadata ${JSON.stringify(usage)}`);
  return { finishReason: candidate.finishReason, usage };
}

async function geminiStream() {
  const stream = await gemini.models.generateContentStream({ model, contents: 'Say hello' });
  let text = '';
  let chunks = 0;
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.text ?? '';
    finish = chunk.candidates?.[0]?.finishReason ?? finish;
    usage = chunk.usageMetadata ?? usage;
  }
  checkText(text, 'gemini stream');
  check(finish === 'STOP', `finishReason ${finish}`);
  check(usage?.promptTokenCount > 0, `usageMetadata ${JSON.stringify(usage)}`);
  return { chunks, finishReason: finish };
}

async function geminiToolRoundTrip() {
  const contents = [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }];
  const first = await gemini.models.generateContent({ model, contents, config: { tools: geminiTools } });
  const calls = first.functionCalls ?? [];
  check(calls.length === 1, `expected one function call, got ${JSON.stringify(first.candidates?.[0]?.content)}`);
  check(calls[0].name === 'get_weather', `function call name ${calls[0].name}`);
  checkCity(calls[0].args, 'gemini function call');

  contents.push(first.candidates[0].content);
  contents.push({ role: 'user', parts: [{ functionResponse: { id: calls[0].id, name: 'get_weather', response: { result: toolResultText } } }] });
  const second = await gemini.models.generateContent({ model, contents, config: { tools: geminiTools } });
  checkText(second.text, 'gemini tool answer');
  return { args: calls[0].args };
}

async function geminiModels() {
  const names = [];
  const pager = await gemini.models.list();
  for await (const entry of pager) {
    names.push(entry.name);
  }
  check(names.includes(`models/${model}`), `models/${model} not in ${JSON.stringify(names)}`);
  return { names };
}

async function geminiCount() {
  const counted = await gemini.models.countTokens({ model, contents: 'Say hello to everyone in the room' });
  check(counted.totalTokens > 0, `totalTokens ${counted.totalTokens}`);
  return { totalTokens: counted.totalTokens };
}

function installedVersion(name) {
  const manifest = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

// ---- run ----------------------------------------------------------------------------------------------------

const checks = [
  ['openai.text', openaiText],
  ['openai.stream', openaiStream],
  ['openai.tools', () => openaiToolRoundTrip(false)],
  ['openai.tools.stream', () => openaiToolRoundTrip(true)],
  ['openai.models', openaiModels],
  ['openai.responses', openaiResponses],
  ['openai.responses.stream', openaiResponsesStream],
  ['openai.responses.tools', openaiResponsesTools],
  ['openai.responses.structured', openaiResponsesStructured],
  ['openai.responses.image', openaiResponsesImage],
  ['anthropic.text', anthropicText],
  ['anthropic.beta.text', anthropicBetaText],
  ['anthropic.stream', anthropicStream],
  ['anthropic.tools', () => anthropicToolRoundTrip(false)],
  ['anthropic.tools.stream', () => anthropicToolRoundTrip(true)],
  ['anthropic.models', anthropicModels],
  ['gemini.text', geminiText],
  ['gemini.stream', geminiStream],
  ['gemini.tools', geminiToolRoundTrip],
  ['gemini.models', geminiModels],
  ['gemini.count', geminiCount],
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
  clients: {
    openai: installedVersion('openai'),
    anthropic: installedVersion('@anthropic-ai/sdk'),
    genai: installedVersion('@google/genai'),
  },
  passed: results.length - failed,
  failed,
  checks: results,
}, null, 2));
process.exit(failed === 0 ? 0 : 1);
