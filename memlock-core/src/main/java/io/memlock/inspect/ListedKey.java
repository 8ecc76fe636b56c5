package io.memlock.inspect;

import io.memlock.HeldItem.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A key of the client's namespace that names a held item, read back from its raw bytes: {@code
 * NS:L:NAME} (lock), {@code NS:RW:NAME} (writer), {@code NS:RR<i>:NAME} (reader slot), {@code
 * NS:S<i>:NAME} (permit slot) and {@code NS:Q<t>:NAME} (fair-queue ticket). The name is the rest of
 * the key, as UTF-8, or {@code #} and 64 hex digits when the name was too long for a key. Every
 * other key (fence counters, waiter flags, queue counters, rate limiters, caches) names no held
 * item. See docs/PROTOCOL.md.
 *
 * @param raw the key's bytes
 * @param kind the item's kind
 * @param name the name, or {@code #<sha-256>}
 * @param hashed whether the key holds the SHA-256 of the name
 * @param slot the slot or ticket, -1 for none
 */
@SuppressWarnings("ArrayRecordComponent") // never compared with equals: identity() orders them
record ListedKey(byte[] raw, Kind kind, String name, boolean hashed, long slot) {

  /**
   * Parses a key that starts with {@code namespacePrefix} ({@code NS:}).
   *
   * @return the held item's key, or null if the key names something else
   */
  static @Nullable ListedKey parse(byte[] raw, int namespacePrefixLength) {

    int colon = -1;
    for (int i = namespacePrefixLength; i < raw.length && i < namespacePrefixLength + 24; i++) {
      if (raw[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon <= namespacePrefixLength || colon == raw.length - 1) {
      return null;
    }
    String tag =
        new String(
            raw, namespacePrefixLength, colon - namespacePrefixLength, StandardCharsets.US_ASCII);
    Kind kind;
    long slot = -1;
    if (tag.equals("L")) {
      kind = Kind.LOCK;
    } else if (tag.equals("RW")) {
      kind = Kind.WRITE;
    } else if ((slot = number(tag, "RR")) >= 0) {
      kind = Kind.READ;
    } else if ((slot = number(tag, "S")) >= 0) {
      kind = Kind.PERMIT;
    } else if ((slot = number(tag, "Q")) >= 0) {
      kind = Kind.FAIR_QUEUE_TICKET;
    } else {
      return null;
    }
    String name;
    try {
      name =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(raw, colon + 1, raw.length - colon - 1))
              .toString();
    } catch (CharacterCodingException e) {
      return null; // memlock writes names as UTF-8: this key is not one of its items
    }
    return new ListedKey(raw, kind, name, isHash(name), slot);
  }

  /** The decimal number after {@code prefix} in {@code tag}, or -1. */
  private static long number(String tag, String prefix) {
    if (!tag.startsWith(prefix)
        || tag.length() == prefix.length()
        || tag.length() > prefix.length() + 18) {
      return -1;
    }
    for (int i = prefix.length(); i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Long.parseLong(tag.substring(prefix.length()));
  }

  private static boolean isHash(String name) {
    if (name.length() != 65 || name.charAt(0) != '#') {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
