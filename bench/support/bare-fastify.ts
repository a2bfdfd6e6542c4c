/**
 * The bare HTTP limit: one Fastify endpoint that parses a JSON body and answers a small JSON, with no
 * logging, no validation, no store. Run as a child process by the HTTP benchmark (PORT from env).
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
let position = 0;
app.get('/health', async () => ({ status: 'ok' }));
app.post('/applications', async (request, reply) => {
  position += 1;
  reply.code(201);
  return { applicationId: '00000000-0000-4000-8000-000000000000', revision: '0', position: String(position), warnings: [], fields: Object.keys(request.body as object).length };
});
app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
