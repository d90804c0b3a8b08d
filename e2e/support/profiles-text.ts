/** Builds profiles-file text the way pydoover writes it, for end-to-end tests. */
export interface TestProfile {
  name: string;
  token?: string;
  expiresAt?: number;
  baseUrl?: string;
  authServerUrl?: string;
  dataBaseUrl?: string;
  refreshToken?: string;
}

export function profileBlock(profile: TestProfile): string {
  const lines = [
    `[profile=${profile.name}]`,
    `TOKEN=${profile.token ?? ''}`,
    `TOKEN_EXPIRES=${profile.expiresAt === undefined ? '' : `${profile.expiresAt}.0`}`,
    'AGENT_ID=',
    `BASE_URL=${profile.baseUrl ?? ''}`,
    `REFRESH_TOKEN=${profile.refreshToken ?? ''}`,
    'REFRESH_TOKEN_ID=',
    `BASE_DATA_URL=${profile.dataBaseUrl ?? ''}`,
    `AUTH_SERVER_URL=${profile.authServerUrl ?? ''}`,
    'AUTH_SERVER_CLIENT_ID=',
  ];
  return `${lines.join('\n')}\n`;
}

export function profilesText(profiles: TestProfile[]): string {
  return profiles.map(profileBlock).join('\n\n');
}

/** Whole seconds from now. */
export function secondsFromNow(seconds: number): number {
  return Math.floor(Date.now() / 1000) + seconds;
}
