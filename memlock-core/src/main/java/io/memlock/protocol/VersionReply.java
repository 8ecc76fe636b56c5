package io.memlock.protocol;

/**
 * A decoded {@code VERSION <text>} line.
 *
 * @param version the text after {@code VERSION}
 */
public record VersionReply(String version) {
  @Override
  public String toString() {
    return "VERSION " + version;
  }
}
