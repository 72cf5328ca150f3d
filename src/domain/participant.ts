import { z } from 'zod';

/** A member of a group. The phone number is present only when the user asked for it. */
export const Participant = z.object({
  id: z.string(),
  username: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  bot: z.boolean(),
  premium: z.boolean(),
  verified: z.boolean(),
  admin: z.boolean().optional(),
  phone: z.string().optional(),
});
export type Participant = z.infer<typeof Participant>;
