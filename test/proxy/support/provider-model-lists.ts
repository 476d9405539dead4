/** The providers' `GET /v1/models` answers, as the real APIs shape them. */

/** A page of `GET /v1/models` as Anthropic answers it. */
export const anthropicModelPage = {
  data: [
    {
      type: 'model',
      id: 'claude-opus-4-8',
      display_name: 'Claude Opus 4.8',
      created_at: '2026-08-05T00:00:00Z',
    },
    {
      type: 'model',
      id: 'claude-sonnet-4-6',
      display_name: 'Claude Sonnet 4.6',
      created_at: '2026-02-17T00:00:00Z',
    },
    {
      type: 'model',
      id: 'claude-haiku-4-5',
      display_name: 'Claude Haiku 4.5',
      created_at: '2025-10-01T00:00:00Z',
    },
  ],
  has_more: true,
  first_id: 'claude-opus-4-8',
  last_id: 'claude-haiku-4-5',
};

/** `GET /v1/models` as OpenAI answers it. */
export const openAiModelList = {
  object: 'list',
  data: [
    { id: 'gpt-4.1', object: 'model', created: 1744316542, owned_by: 'system' },
    { id: 'gpt-4.1-mini', object: 'model', created: 1744318173, owned_by: 'system' },
    { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
  ],
};
