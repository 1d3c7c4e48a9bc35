// The floor under mythos: the same SDK, alone, making structured calls of the size mythos sends,
// in the shape of a run. FLOOR_SHAPE=trace: FLOOR_CALLS calls in sequence. FLOOR_SHAPE=agent: one
// call, FLOOR_SUBAGENTS at once, then three more in sequence (the merge, a streamed Coda, its cross-check).
// Whatever these cost, mythos cannot go below it.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();
const system = 'S'.repeat(7600);
const schema = {
  type: 'object',
  properties: { new_insight: { type: 'string' }, what_changed: { type: 'string' }, convergence: { type: 'string' }, stance: { type: 'string' } },
  required: ['new_insight', 'what_changed', 'convergence', 'stance'],
  additionalProperties: false,
};
const params = (i) => ({
  model: 'claude-sonnet-5-5',
  max_tokens: 1200,
  system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: `${'P'.repeat(3200)} ${i}` }],
  output_config: { format: { type: 'json_schema', schema } },
});
const call = async (i) => JSON.parse((await client.messages.create(params(i))).content[0].text);
const streamed = async (i) => JSON.parse((await client.messages.stream(params(i)).finalMessage()).content[0].text);

if (process.env.FLOOR_SHAPE === 'agent') {
  const subagents = Number(process.env.FLOOR_SUBAGENTS ?? 3);
  await call(0);
  await Promise.all(Array.from({ length: subagents }, (_, i) => call(i + 1)));
  await call(subagents + 1);
  await streamed(subagents + 2);
  await call(subagents + 3);
} else {
  const calls = Number(process.env.FLOOR_CALLS ?? 17);
  for (let i = 0; i < calls; i++) await call(i);
}
