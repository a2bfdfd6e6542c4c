import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { completeContract } from './complete-contract';

/**
 * OpenAPI generated from the controllers and DTOs: UI at /docs, the document at /docs-json. Built on
 * the first request for it, not at start (scanning every controller is a good part of the start-up).
 */
export function mountOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Atļauja')
    .setDescription(
      'User-rights applications for the e-service "Budžets": drafted, submitted and signed by an institution\'s ' +
        'representative with a qualified e-signature, approved or rejected by back-office approvers, revoked, expired ' +
        'or superseded; audited from an untampered event history. Errors are RFC 9457 problem+json (one schema, Problem): ' +
        'its `type` is `/problems/{code}`, the catalogue entry of its stable code in Latvian and English.',
    )
    .setVersion('1')
    .setLicense('UNLICENSED', 'https://docs.npmjs.com/cli/v10/configuring-npm/package-json#license')
    .addServer('/', 'this service (same origin)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  SwaggerModule.setup('docs', app, () => completeContract(SwaggerModule.createDocument(app, config)), { jsonDocumentUrl: 'docs-json' });
}
