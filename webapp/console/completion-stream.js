// Reads one streamed chat completion and sorts what arrives into answer text, tool steps, the
// reset notice, usage and how the stream ended. The one place that knows the gateway's stream
// format; the chat view only renders what this module reports.
//
// Tool steps: the gateway sends each tool run as a "<name> <arguments>" line in
// delta.reasoning_content (the default, AGENTGATE_TOOL_PROGRESS=reasoning_content), or, with
// AGENTGATE_TOOL_PROGRESS=content, as a "[tool] <name> <arguments>" paragraph in delta.content.
// Both are read as steps (TOOL_LINES_IN_CONTENT keeps the second).

import { EventSourceParserStream } from './vendor/eventsource-parser/stream.js';

export const TOOL_LINES_IN_CONTENT = true;
const TOOL_PREFIX = '[tool] ';
// The gateway's notice on the response that started a fresh session (README, "Reset notice").
const NOTICE_PREFIX = '[Session reset:';

/**
 * Consumes an SSE response. `on` receives: answer(text), step(text), notice(text), usage(usage),
 * finish(reason), keepalive(). Resolves to how the stream ended:
 *   {ending: 'done'}                      data: [DONE] arrived: the answer is complete
 *   {ending: 'error', error}              an error frame (data: {"error":{...}})
 *   {ending: 'truncated'}                 the body ended without [DONE] or an error frame
 * and rejects with an AbortError when the fetch was aborted.
 */
export async function readCompletion(response, on, {resetExpected = false} = {}) {
  const content = new ContentSplitter(on, resetExpected);
  const reasoning = new LineSplitter((line) => on.step(line));
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream({onComment: () => on.keepalive?.()}));
  const reader = events.getReader();
  const finish = (result) => {
    content.end();
    reasoning.end();
    reader.cancel().catch(() => {});
    return result;
  };
  for (;;) {
    const {value: event, done} = await reader.read();
    if (done) return finish({ending: 'truncated'});
    const data = event.data;
    if (data === '[DONE]') return finish({ending: 'done'});
    let chunk;
    try {
      chunk = JSON.parse(data);
    } catch {
      return finish({ending: 'error', error: {message: `The gateway sent a frame that is not JSON: ${data.slice(0, 120)}`}});
    }
    if (chunk.error) {
      const error = typeof chunk.error === 'string' ? {message: chunk.error} : chunk.error;
      return finish({ending: 'error', error});
    }
    if (chunk.usage) on.usage(chunk.usage);
    for (const choice of chunk.choices || []) {
      const delta = choice.delta || {};
      if (delta.reasoning_content) reasoning.push(delta.reasoning_content);
      if (delta.content) content.push(delta.content);
      if (choice.finish_reason) on.finish(choice.finish_reason);
    }
  }
}

/** Splits streamed text into complete lines (the last, unterminated one at end()). */
class LineSplitter {
  constructor(emit) {
    this.emit = emit;
    this.buffer = '';
  }

  push(text) {
    this.buffer += text;
    let newline;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.emit(line);
    }
  }

  end() {
    const line = this.buffer.trim();
    this.buffer = '';
    if (line) this.emit(line);
  }
}

/**
 * Passes answer text through as soon as it arrives, except lines that are the gateway's own: a
 * line that starts with "[tool] " (a tool step) and, on a response that reset the session, a first
 * line that starts with "[Session reset:". Text at the start of a line that could still become one
 * of those is held back until it is decided (at most a few characters, or one step line).
 */
class ContentSplitter {
  constructor(on, resetExpected) {
    this.on = on;
    this.held = '';
    this.atLineStart = true;
    this.firstLine = true;
    this.resetExpected = resetExpected;
  }

  push(text) {
    let rest = this.held + text;
    this.held = '';
    while (rest) {
      if (this.atLineStart) {
        const prefixes = this.gatewayPrefixes();
        const match = prefixes.find((prefix) => rest.startsWith(prefix));
        if (!match && prefixes.some((prefix) => prefix.startsWith(rest))) {
          this.held = rest;
          return;
        }
        this.firstLine = false;
        if (match) {
          const newline = rest.indexOf('\n');
          if (newline < 0) {
            this.held = rest;
            return;
          }
          this.gatewayLine(match, rest.slice(0, newline));
          rest = rest.slice(newline + 1);
          continue;
        }
        this.atLineStart = false;
      }
      const newline = rest.indexOf('\n');
      if (newline < 0) {
        this.on.answer(rest);
        return;
      }
      this.on.answer(rest.slice(0, newline + 1));
      rest = rest.slice(newline + 1);
      this.atLineStart = true;
    }
  }

  end() {
    const rest = this.held;
    this.held = '';
    if (!rest) return;
    const match = this.gatewayPrefixes().find((prefix) => rest.startsWith(prefix));
    if (match) this.gatewayLine(match, rest);
    else this.on.answer(rest);
  }

  gatewayPrefixes() {
    const prefixes = TOOL_LINES_IN_CONTENT ? [TOOL_PREFIX] : [];
    if (this.firstLine && this.resetExpected) prefixes.push(NOTICE_PREFIX);
    return prefixes;
  }

  gatewayLine(prefix, line) {
    if (prefix === TOOL_PREFIX) {
      this.on.step(line.slice(TOOL_PREFIX.length).trim());
    } else {
      // "[Session reset: why. This is a fresh session.]" -> "Session reset: why. This is a fresh session."
      this.on.notice(line.trim().replace(/^\[/, '').replace(/\]$/, ''));
    }
  }
}
