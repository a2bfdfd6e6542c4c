import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TrustAnchorDto {
  @ApiProperty({ example: 'C=LV, O=VAS Latvijas Valsts radio un televīzijas centrs, CN=LV eID ICA 2025' }) subject!: string;
  @ApiProperty({ description: 'SHA-256 of the certificate (DER), as evidence records it' }) sha256!: string;
}

export class TrustCrlDto {
  @ApiProperty() issuer!: string;
  @ApiPropertyOptional({ description: 'cRLNumber (decimal): among one issuer’s CRLs the highest counts' }) number?: string;
  @ApiProperty() thisUpdate!: string;
  @ApiPropertyOptional() nextUpdate?: string;
  @ApiProperty({ description: 'SHA-256 of the CRL (DER), its name in the trust archive' }) sha256!: string;
}

export class TrustReloadedDto {
  @ApiProperty() reloadedAt!: string;
  @ApiProperty({ type: [TrustAnchorDto] }) anchors!: TrustAnchorDto[];
  @ApiProperty({ type: [TrustCrlDto] }) crls!: TrustCrlDto[];
}
