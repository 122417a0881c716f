import type { Path } from '../doc/path.ts';
import { usePathErrors } from '../doc/ValidationContext.tsx';

/** The schema's messages for exactly this path, next to the control that edits it. */
export function FieldErrors({ path, id }: { path: Path; id?: string }) {
  const errors = usePathErrors(path);
  if (errors.length === 0) return null;
  return (
    <span className="field-error" id={id} role="status">
      {errors.map((e) => e.message).join('; ')}
    </span>
  );
}
