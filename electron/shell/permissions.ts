/**
 * Permissions a page of the app may have; every other request (camera,
 * notifications, geolocation, clipboard reading, ...) is denied. Writing to the
 * clipboard stays allowed so a user can copy a value they asked to see.
 */
const allowedPermissions: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** Whether the app grants a web permission to its own page. */
export function isPermissionAllowed(permission: string): boolean {
  return allowedPermissions.has(permission);
}
