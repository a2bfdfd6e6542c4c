import { createLogger } from './logger';

it('every process logs through the personal-code and token mask (the worker as the api)', () => {
  const lines: string[] = [];
  const logger = createLogger('atlauja-worker', 'info', { write: (line) => void lines.push(line) });
  logger.info({ user: '010190-12345', nested: { code: '32123456789' }, header: 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl' }, 'tick for 010190-12345');
  const line = lines.join('');
  expect(line).toContain('"service":"atlauja-worker"');
  expect(line).not.toMatch(/12345|3212345|eyJzdWIi/);
  expect(line).toContain('010190-*****');
});
