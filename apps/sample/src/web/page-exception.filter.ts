import { HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';

/**
 * Turns any error on a page into a friendly page: the message of an HttpException we threw on
 * purpose, a generic one otherwise (the cause is logged, never shown).
 */
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Pages');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const known = exception instanceof HttpException;
    if (!known) this.logger.error(exception instanceof Error ? exception.message : 'unexpected error');
    const status = known ? exception.getStatus() : 500;
    const message = known ? exception.message : 'Something went wrong on our side. Please try again in a moment.';
    if (res.headersSent) return;
    res.status(status).render('error', { title: status === 404 ? 'Not found' : 'Something went wrong', message });
  }
}
