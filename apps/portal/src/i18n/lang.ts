/** The portal's languages: Latvian first, English by the switch. */
export type Lang = 'lv' | 'en';
