// openai-node's runTools helper with one client function tool, against a running agentgate: the SDK
// runs get_weather when the model calls it and sends the result back. Prints what the function was
// called with and the final answer as one JSON line. Arguments: base URL, "stream" or "whole", and
// an optional X-Session-Key.
import OpenAI from 'openai';

const [baseURL, mode, sessionKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0 });
const calls = [];
const runner = client.chat.completions.runTools({
  model: 'any',
  stream: mode === 'stream',
  messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
  tools: [{
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      parse: JSON.parse,
      function: (args) => { calls.push(args); return `sunny, 24 C in ${args.city}`; },
    },
  }],
}, sessionKey ? { headers: { 'X-Session-Key': sessionKey } } : {});
const content = await runner.finalContent();
console.log(JSON.stringify({ calls, content }));
