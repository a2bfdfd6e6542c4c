import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsBase64, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class ReasonDto {
  @ApiProperty({ example: 'The justification does not match the rights asked for.' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

/** Revocation (Atcelts) is confirmed, not signed, and takes effect at once. */
export class RevokeDto extends ReasonDto {
  @ApiProperty({ example: true, description: 'must be true: the representative confirms the revocation' })
  @Equals(true, { message: 'confirmed must be true' })
  confirmed!: true;
}

export class SignatureDto {
  @ApiProperty({ description: 'the detached CAdES signature (.p7s, DER) in base64' })
  @IsString()
  @MaxLength(1_000_000)
  @IsBase64({}, { message: 'signature must be base64 (the DER bytes of a .p7s file)' })
  signature!: string;
}
