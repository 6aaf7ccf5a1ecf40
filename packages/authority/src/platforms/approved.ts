import { Problem } from '../http/problem.ts';
import type { Platform } from './platform.ts';

/**
 * The platform, if it may verify people now. A pending one is nobody's business yet, so it looks
 * unknown; a suspended one is named, so a wallet can tell the person why it shares nothing.
 */
export function approvedPlatform(platform: Platform | undefined): Platform {
  if (!platform || platform.state === 'pending') {
    throw new Problem(404, 'platform_not_found', 'no such platform');
  }
  if (platform.state === 'suspended') {
    throw new Problem(
      403,
      'platform_suspended',
      'this platform is suspended',
      'the operator has suspended it; do not share anything with it',
    );
  }
  return platform;
}
