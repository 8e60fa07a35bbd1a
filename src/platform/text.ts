import { z } from 'zod';

/**
 * PostgreSQL stores neither the NUL character nor half of a UTF-16 surrogate pair; such text is
 * refused at the door instead of failing deep in a transaction.
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** A string bounded in length and storable as text: the shape of every free-text field. */
export function storableText(maximumLength: number) {
  return z.string().max(maximumLength).refine(isStorableText, {
    message: 'Texte invalide : caractère nul ou caractère Unicode incomplet.',
  });
}
