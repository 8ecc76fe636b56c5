package io.memlock.protocol;

import io.memlock.MemcachedProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Common part of the meta commands: a key, flags, quiet mode and an opaque token. Built fluently
 * and then sent once; not safe for concurrent modification.
 */
public abstract class MetaRequest extends Request<MetaResponse> {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final int MAX_OPAQUE_LENGTH = 32;

  private final String command;
  private final Key key;
  private final Set<MetaStatus> allowed;
  private final StringBuilder flags = new StringBuilder(24);
  private long usedFlags;
  private boolean quiet;
  private @Nullable String opaque;

  MetaRequest(String command, Key key, Set<MetaStatus> allowed) {
    if (key == null) {
      throw new IllegalArgumentException("key is null");
    }
    this.command = command;
    this.key = key;
    this.allowed = allowed;
  }

  /**
   * Returns the key.
   *
   * @return the key
   */
  public Key key() {
    return key;
  }

  final void flag(char letter) {
    markUsed(letter);
    flags.append(' ').append(letter);
  }

  final void flag(char letter, long token) {
    markUsed(letter);
    flags.append(' ').append(letter).append(token);
  }

  final void flag(char letter, String token) {
    markUsed(letter);
    flags.append(' ').append(letter).append(token);
  }

  final void flag(char letter, char token) {
    markUsed(letter);
    flags.append(' ').append(letter).append(token);
  }

  private void markUsed(char letter) {
    long bit = 1L << (letter - 'A');
    if ((usedFlags & bit) != 0) {
      throw new IllegalStateException("flag " + letter + " is already set on " + name());
    }
    usedFlags |= bit;
  }

  /**
   * Sets the {@code q} flag: memcached does not answer the common outcome (a miss for {@code mg},
   * success for the others); the transport supplies the implied result.
   *
   * @return this request
   */
  public MetaRequest quiet() {
    quiet = true;
    return this;
  }

  /**
   * Sets the {@code O} flag: memcached copies the token back in the reply.
   *
   * @param token 1 to 32 printable ASCII characters
   * @return this request
   * @throws IllegalArgumentException for an empty, long or unprintable token
   */
  public MetaRequest opaque(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_OPAQUE_LENGTH) {
      throw new IllegalArgumentException(
          "opaque token must be 1 to " + MAX_OPAQUE_LENGTH + " characters: " + token);
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("opaque token must be printable ASCII: " + token);
      }
    }
    this.opaque = token;
    return this;
  }

  @Override
  public boolean isQuiet() {
    return quiet;
  }

  @Override
  public @Nullable String opaque() {
    return opaque;
  }

  /** Writes anything between the key and the flags, such as the data length of {@code ms}. */
  void encodeArguments(ByteBuf out) {}

  /** Writes the data block after the command line, for {@code ms}. */
  void encodeData(ByteBuf out) {}

  @Override
  public final void encode(ByteBuf out, @Nullable String transportOpaque) {

    ByteBufUtil.writeAscii(out, command);
    out.writeByte(' ');
    out.writeBytes(key.tokenUnsafe());
    encodeArguments(out);
    ByteBufUtil.writeAscii(out, flags);
    if (key.isBase64()) {
      out.writeByte(' ').writeByte('b');
    }
    if (quiet) {
      out.writeByte(' ').writeByte('q');
    }
    String o = opaque != null ? opaque : transportOpaque;
    if (o != null) {
      out.writeByte(' ').writeByte('O');
      ByteBufUtil.writeAscii(out, o);
    }
    out.writeBytes(CRLF);
    encodeData(out);
  }

  @Override
  public MetaResponse convert(Object reply) {
    if (!(reply instanceof MetaResponse r) || !allowed.contains(r.status())) {
      throw new MemcachedProtocolException("reply '" + reply + "' cannot answer " + name());
    }
    if (opaque != null && !opaque.equals(r.opaque())) {
      throw new MemcachedProtocolException(
          "reply '"
              + reply
              + "' carries another opaque token than "
              + name()
              + " (O"
              + opaque
              + ")");
    }
    return r;
  }

  @Override
  public MetaResponse quietResult() {
    if (!quiet) {
      throw new IllegalStateException(name() + " is not quiet");
    }
    return MetaResponse.quietSuccess();
  }

  @Override
  public String name() {
    return command + " " + key;
  }

  static void writeCrlf(ByteBuf out) {
    out.writeBytes(CRLF);
  }
}
