/**
 * Read-your-writes for the registry read model inside one process: the position of the last
 * registry event this process recorded. The rules' facts wait (bounded) until the read model has
 * it, so an institution registered here is known to the next draft here.
 */
import { Injectable } from '@nestjs/common';

@Injectable()
export class RegistryWrites {
  private position = 0n;

  recorded(position: bigint | null): void {
    if (position !== null && position > this.position) this.position = position;
  }

  get latest(): bigint {
    return this.position;
  }
}
