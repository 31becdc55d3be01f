/** The audit log view: administrators only, newest first, optionally one kind of action. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { listAudit } from '../../store/audit-log.ts';
import type { StaffContext } from './context.ts';

export function auditRoutes(ctx: StaffContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.withTypeProvider<TypeBoxTypeProvider>().get('/api/audit', {
      config: { access: { roles: ['admin'] } },
      schema: {
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          action: Type.Optional(Type.String({ pattern: '^[a-z_.]{1,64}$' })),
        }, { additionalProperties: false }),
      },
    }, async (req) => {
      const { limit, action } = req.query;
      const entries = await listAudit(ctx.db, { limit, action });
      return { entries };
    });
  };
}
