export { copyEmbeddedTemplate, ensureEmbeddedTemplate } from './embedded-template';
