import { z } from 'zod'
import { StaffRole } from '@prisma/client'

export const newStaffUserSchema = z.object({
  email: z.string().trim().toLowerCase().email(),
  name: z.string().trim().min(2).max(200),
  role: z.nativeEnum(StaffRole),
})

export type NewStaffUser = z.infer<typeof newStaffUserSchema>
