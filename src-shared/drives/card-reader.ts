// Memory card readers by the names their makers give them. Linux knows a card on an SD/MMC host
// by its device (mmcblk), but a card in a USB reader is a SCSI disk like any stick: only the
// reader's model says so ("SD/MMC", "Card Reader", "USB3.0-CRW", a multi-card reader's
// "Compact Flash", "SM/xD-Picture", "MS/MS-Pro" slots). macOS and Windows name their internal
// readers the same way ("Apple SDXC Reader", "Realtek PCIE CardReader").

const CARD_READER = /\b(sd\/mmc|sdxc|sdhc|micro\s?sd|card\s*reader|multi-?card|crw)\b|compact ?flash|xd-picture|ms\/ms-pro/i;

export function isCardReaderName(text: string): boolean {
  return CARD_READER.test(text);
}
