import { describe, expect, it } from 'vitest';
import { isCardReaderName } from '../../../src-shared/drives/card-reader.js';

describe('isCardReaderName', () => {
  it.each([
    'Generic- SD/MMC',
    'Generic- Compact Flash',
    'Generic- SM/xD-Picture',
    'Generic- MS/MS-Pro',
    'Generic- USB3.0 CRW -SD',
    'Generic USB3.0-CRW',
    'Generic- Micro SD/M2',
    'Multiple Card  Reader',
    'Apple SDXC Reader',
    'Realtek PCIE CardReader',
    'Transcend SDHC',
    'Generic Multi-Card',
  ])('takes "%s" for a card reader', (name) => {
    expect(isCardReaderName(name)).toBe(true);
  });

  it.each(['SanDisk Cruzer Blade', 'Samsung SSD 970 EVO Plus 500GB', 'Kingston DataTraveler 3.0', 'WD Elements 25A2', 'ATA Samsung SSD 860 EVO 250GB', 'SanDisk Extreme Pro'])(
    'does not take "%s" for one',
    (name) => {
      expect(isCardReaderName(name)).toBe(false);
    },
  );
});
