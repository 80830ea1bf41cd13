// Drives a running agentgate with the official openai-node SDK and prints what the SDK saw as JSON:
// a normal stream's text and finish reason, and whether a failing stream raised.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.argv[2], apiKey: 'unused', maxRetries: 0 });

async function collect(prompt) {
  const result = { text: '', finish: null, raised: null };
  try {
    const stream = await client.chat.completions.create({
      model: 'scripted', stream: true, messages: [{ role: 'user', content: prompt }],
    });
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        result.text += choice.delta?.content ?? '';
        if (choice.finish_reason) result.finish = choice.finish_reason;
      }
    }
  } catch (e) {
    result.raised = { name: e.constructor.name, message: String(e.message) };
  }
  return result;
}

const ok = await collect('hello from node');
const crash = await collect('crash from node');
console.log(JSON.stringify({ ok, crash }));
