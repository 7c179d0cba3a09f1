import { z } from 'zod';
import type { HdeCustomField, HdeDepartment, HdeLocalised, HdeStatus } from '../hde-types';
import { localised, requiredId, text, toLocalised } from './common';

/** A department: `{id, name:{ru,en,ua}}`. */
export const departmentSchema: z.ZodType<HdeDepartment> = z.object({ id: requiredId, name: localised });

/** A status: its id is a string (`open`, `v-processe`, `6`). */
export const statusSchema: z.ZodType<HdeStatus> = z.object({
  id: z.union([z.string().min(1), z.number().transform(String)]),
  name: localised,
});

/** Hierarchical fields name each level: `{"1": {ru,…}, "2": {ru,…}}`. */
function customFieldNames(value: unknown): { name: HdeLocalised; levelNames: HdeLocalised[] } {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const levels = Object.values(value).filter((v) => v && typeof v === 'object');
    if (levels.length > 0) {
      const levelNames = levels.map(toLocalised);
      return { name: levelNames[0] ?? {}, levelNames };
    }
  }
  return { name: toLocalised(value), levelNames: [] };
}

/** A ticket custom field definition. */
export const customFieldSchema: z.ZodType<HdeCustomField> = z
  .object({ id: requiredId, name: z.unknown(), field_type: text })
  .transform((r): HdeCustomField => ({ id: r.id, fieldType: r.field_type, ...customFieldNames(r.name) }));
