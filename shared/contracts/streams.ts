import { z } from 'zod';

export const createStreamBody = z.object({ title: z.string().trim().min(1).max(100) }).strict();
