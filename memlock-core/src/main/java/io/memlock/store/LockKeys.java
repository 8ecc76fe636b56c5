package io.memlock.store;

import io.memlock.protocol.Key;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns lock names into memcached keys: {@code <namespace>:L:<name>} for the lock item and {@code
 * <namespace>:F:<name>} for its fence counter and {@code <namespace>:W:<name>} for its waiter flag.
 * A name whose key would exceed memcached's limit (250 bytes; 186 when the name holds spaces,
 * control or non-ASCII characters and travels base64) is replaced by {@code #} and the hex SHA-256
 * of its UTF-8 bytes. See docs/PROTOCOL.md.
 */
public final class LockKeys implements ItemKeys {
  private final String namespace;

  /**
   * Creates the key scheme for a namespace.
   *
   * @param namespace printable ASCII without spaces, 1 to 64 characters
   * @throws IllegalArgumentException for a bad namespace
   */
  public LockKeys(String namespace) {
    this.namespace = checkNamespace(namespace);
  }

  static String checkNamespace(String namespace) {
    if (namespace == null || namespace.isEmpty() || namespace.length() > 64) {
      throw new IllegalArgumentException(
          "namespace must be 1 to 64 characters, got "
              + (namespace == null ? "null" : namespace.length()));
    }
    for (int i = 0; i < namespace.length(); i++) {
      char c = namespace.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException(
            "namespace must be printable ASCII without spaces: '" + namespace + "'");
      }
    }
    return namespace;
  }

  /**
   * Checks a lock name.
   *
   * @param name the name
   * @return the name
   * @throws IllegalArgumentException for a null or empty name, or one that is not well-formed
   *     UTF-16
   */
  public static String checkName(String name) {
    if (name == null) {
      throw new IllegalArgumentException("lock name is null");
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("lock name is empty");
    }
    return checkWellFormed("lock name", name);
  }

  /**
   * Refuses text that is not well-formed UTF-16: a lone surrogate has no UTF-8 encoding (Java would
   * write {@code '?'} for it), so two different names would map to one memcached item.
   *
   * @param what what the text is, for the message (e.g. {@code "lock name"})
   * @param text the text, not null
   * @return the text
   * @throws IllegalArgumentException naming the first lone surrogate and its index
   */
  public static String checkWellFormed(String what, String text) {
    int lone = Key.loneSurrogate(text);
    if (lone >= 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s has a lone surrogate \\u%04X at index %d: it is not well-formed UTF-16 and"
                  + " has no UTF-8 encoding",
              what, (int) text.charAt(lone), lone));
    }
    return text;
  }

  /**
   * Returns the key of a lock item.
   *
   * @param name the lock name
   * @return the key
   */
  @Override
  public Key lockKey(String name) {
    return key("L", name);
  }

  /**
   * Returns the key of a lock's fence counter.
   *
   * @param name the lock name
   * @return the key
   */
  @Override
  public Key fenceKey(String name) {
    return key("F", name);
  }

  /**
   * Returns the key of a lock's waiter flag, set by waiters of other clients while they poll.
   *
   * @param name the lock name
   * @return the key
   */
  @Override
  public Key waiterKey(String name) {
    return key("W", name);
  }

  /**
   * Returns the key of an item of another kind, for the synchronizers built on locks.
   *
   * @param kind a short ASCII tag distinct from L and F
   * @param name the name
   * @return the key
   */
  public Key key(String kind, String name) {
    checkName(name);
    String prefix = namespace + ":" + kind + ":";
    try {
      return Key.of(prefix + name);
    } catch (IllegalArgumentException tooLong) {
      return Key.of(prefix + "#" + sha256(name));
    }
  }

  private static String sha256(String name) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(name.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
