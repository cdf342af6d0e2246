import { HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { headersSent, render, type PageResponse } from './page-response';

/**
 * Turns any error on a page into a friendly page: the message of an HttpException we threw on
 * purpose, a generic one otherwise (the cause is logged, never shown).
 */
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Pages');

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const res = host.switchToHttp().getResponse<PageResponse>();
    const known = exception instanceof HttpException;
    if (!known) this.logger.error(exception instanceof Error ? exception.message : 'unexpected error');
    const status = known ? exception.getStatus() : 500;
    const message = known ? exception.message : 'Something went wrong on our side. Please try again in a moment.';
    if (headersSent(res)) return;
    await render(res, 'error', { title: status === 404 ? 'Not found' : 'Something went wrong', message }, status);
  }
}
