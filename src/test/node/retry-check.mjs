// One chat completion through the official openai-node SDK with its default settings (two retries of
// 408, 409, 429 and 5xx unless the answer says x-should-retry: false), streaming or not, and prints
// what the application sees as one JSON line: the error's class, status and Retry-After header.
import OpenAI from 'openai';

const [baseURL, mode] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'unused' });
const result = { name: null, status: null, retryAfter: null, text: '' };
try {
  if (mode === 'stream') {
    const stream = await client.chat.completions.create({
      model: 'any', stream: true, messages: [{ role: 'user', content: 'hi' }],
    });
    for await (const chunk of stream) {
      for (const choice of chunk.choices) result.text += choice.delta?.content ?? '';
    }
  } else {
    const completion = await client.chat.completions.create({
      model: 'any', messages: [{ role: 'user', content: 'hi' }],
    });
    result.text = completion.choices[0].message.content;
  }
} catch (e) {
  result.name = e.constructor.name;
  result.status = e.status ?? null;
  result.retryAfter = e.headers?.get?.('retry-after') ?? null;
}
console.log(JSON.stringify(result));
