// The floor under mythos: the same SDK, alone, making sequential structured calls of the size a
// trace round sends. Whatever this costs per call, mythos cannot go below it.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();
const calls = Number(process.env.FLOOR_CALLS ?? 17);
const system = 'S'.repeat(7600);
const schema = {
  type: 'object',
  properties: { new_insight: { type: 'string' }, what_changed: { type: 'string' }, convergence: { type: 'string' }, stance: { type: 'string' } },
  required: ['new_insight', 'what_changed', 'convergence', 'stance'],
  additionalProperties: false,
};
for (let i = 0; i < calls; i++) {
  const message = await client.messages.create({
    model: 'claude-sonnet-5-5',
    max_tokens: 1200,
    system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: `${'P'.repeat(3200)} ${i}` }],
    output_config: { format: { type: 'json_schema', schema } },
  });
  JSON.parse(message.content[0].text);
}
