export { NET_NUMBER_ALPHABET, NET_NUMBER_LENGTH } from './alphabet.ts';
export {
  generateNetNumber,
  isValidNetNumber,
  maskNetNumber,
  normalizeNetNumber,
  parseNetNumber,
} from './netnumber.ts';
