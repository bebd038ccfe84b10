package dev.workerpool.sample;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One row of the students CSV: {@code id,name,email,grade}. Simple CSV: fields are separated by commas and
 * may not contain commas or quotes.
 */
record Student(int line, int id, String name, String email, int grade) {

    static final String HEADER = "id,name,email,grade";

    static Student parse(int line, String text) throws BadRowException {
        String[] fields = text.split(",", -1);
        if (fields.length != 4) {
            throw new BadRowException(line, "expected 4 fields (id,name,email,grade), found " + fields.length);
        }
        int id = integer(line, "id", fields[0]);
        String name = fields[1].trim();
        if (name.isEmpty()) {
            throw new BadRowException(line, "name is empty");
        }
        String email = fields[2].trim();
        if (!email.contains("@")) {
            throw new BadRowException(line, "email '" + email + "' has no @");
        }
        return new Student(line, id, name, email, integer(line, "grade", fields[3]));
    }

    private static int integer(int line, String field, String text) throws BadRowException {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new BadRowException(line, field + " '" + text + "' is not a whole number");
        }
    }

    void bind(PreparedStatement insert) throws SQLException {
        insert.setInt(1, id);
        insert.setString(2, name);
        insert.setString(3, email);
        insert.setInt(4, grade);
        insert.setInt(5, line);
    }
}
