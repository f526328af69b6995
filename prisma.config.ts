// Prisma CLI configuration. Only `prisma generate` is used (migrations are applied by
// server/store/migrate.ts), so no database URL is needed here.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
