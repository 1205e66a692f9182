// Whether a recipe's image carries the Kairos framework (immucore, the agent, the installer): the
// one definition every part asks (the scratch Dockerfile, the image checks, the artifact layouts,
// the wizard). Only the scratch method can leave it out (framework: none, a plain bootable image);
// kairos-init always installs one and a prebuilt Kairos image (method none) has one.
/** Takes a recipe, or a wizard draft whose fields may not be set yet. */
export function hasFramework(recipe: { readonly kairosify: { readonly method?: string; readonly framework?: string } }): boolean {
  return !(recipe.kairosify.method === 'scratch' && recipe.kairosify.framework === 'none');
}
