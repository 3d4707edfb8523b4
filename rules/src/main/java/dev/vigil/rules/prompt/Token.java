package dev.vigil.rules.prompt;

/**
 * One token of an event prompt: a normalised word, a quoted phrase (its words normalised and
 * joined by single spaces), or a comma.
 */
record Token(Kind kind, String text) {

    enum Kind { WORD, QUOTED, COMMA }

    static Token word(String word) {
        return new Token(Kind.WORD, word);
    }

    static Token quoted(String phrase) {
        return new Token(Kind.QUOTED, phrase);
    }

    static Token comma() {
        return new Token(Kind.COMMA, ",");
    }

    boolean isWord() {
        return kind == Kind.WORD;
    }

    boolean isWord(String w) {
        return kind == Kind.WORD && text.equals(w);
    }

    /** How the token reads in a message to the user. */
    String display() {
        return kind == Kind.QUOTED ? "\"" + text + "\"" : text;
    }
}
