package io.agentgate.testing;

import java.util.List;

/** Text holding a credential in each well-known shape, and the secret part that must never be shown. */
public final class CredentialShapes {

    private CredentialShapes() {}

    /** Every credential shape the gateway masks, each with the secret part a test can look for. */
    public static final List<String[]> ALL = List.of(
            new String[] {"password=hunter2-Pa55", "hunter2-Pa55"},
            new String[] {"secret=s3cr3t-value", "s3cr3t-value"},
            new String[] {"token=tok_live_12ab", "tok_live_12ab"},
            new String[] {"api_key=0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"},
            new String[] {"aws key AKIAIOSFODNN7EXAMPLE used", "AKIAIOSFODNN7EXAMPLE"},
            new String[] {"jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"},
            new String[] {"hex deadbeefdeadbeefdeadbeefdeadbeef00 seen", "deadbeefdeadbeefdeadbeefdeadbeef00"},
            new String[] {"b64 QWxhZGRpbjpvcGVuIHNlc2FtZQ9Zx7Kq2LmPw3Rt seen", "QWxhZGRpbjpvcGVuIHNlc2FtZQ9Zx7Kq2LmPw3Rt"},
            new String[] {"Authorization: Bearer abc.def-ghi", "abc.def-ghi"},
            new String[] {"connect to postgres://admin:pa55word@db.internal:5432/x", "pa55word"},
            new String[] {"{\"api_key\": \"json-held-key\"}", "json-held-key"},
            new String[] {"key sk-proj-abcdefgh12345678 rejected", "sk-proj-abcdefgh12345678"});
}
