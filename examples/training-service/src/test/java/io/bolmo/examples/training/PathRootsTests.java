package io.bolmo.examples.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Requests can only name data and output locations under the configured roots; anything else is a 400. */
class PathRootsTests extends ServiceTestBase {

    @Test
    void anOutputOutsideTheOutputRootIsRejected() throws Exception {
        HttpResponse<String> r = post("/api/jobs/finetune/executions",
                finetuneBody("x", 2).replace("\"output\":\"x\"", "\"output\":\"/tmp/elsewhere\""));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("parameter 'output' = '/tmp/elsewhere'").contains("outside the output root")
                .contains(RUNS.toRealPath().toString());
    }

    @Test
    void dotDotTraversalIsRejected() throws Exception {
        HttpResponse<String> r = post("/api/jobs/finetune/executions", finetuneBody("../../escape", 2));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("parameter 'output' = '../../escape'").contains("outside the output root");
        HttpResponse<String> in = post("/api/jobs/finetune/executions",
                finetuneBody("ok", 2).replace("\"data\":\"chats.jsonl\"", "\"data\":\"chats.jsonl,../../../etc/passwd\""));
        assertThat(in.statusCode()).isEqualTo(400);
        assertThat(in.body()).contains("parameter 'data' = '../../../etc/passwd'").contains("outside the data root")
                .contains(DATA.toRealPath().toString());
        assertThat(RUNS.resolve("ok")).doesNotExist();
    }

    @Test
    void aSymbolicLinkPointingOutsideIsRejected() throws Exception {
        Path outside = Files.createDirectories(WORK.resolve("outside"));
        Files.writeString(outside.resolve("chats.jsonl"), Files.readString(DATA.resolve("chats.jsonl")));
        Path link = DATA.resolve("escape");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, outside);
        HttpResponse<String> r = post("/api/jobs/finetune/executions",
                finetuneBody("ok2", 2).replace("\"data\":\"chats.jsonl\"", "\"data\":\"escape/chats.jsonl\""));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("parameter 'data' = 'escape/chats.jsonl'").contains("outside the data root");
        Path outLink = RUNS.resolve("escape-out");
        Files.deleteIfExists(outLink);
        Files.createSymbolicLink(outLink, outside);
        HttpResponse<String> o = post("/api/jobs/finetune/executions", finetuneBody("escape-out/run", 2));
        assertThat(o.statusCode()).isEqualTo(400);
        assertThat(o.body()).contains("parameter 'output' = 'escape-out/run'").contains("outside the output root");
    }

    @Test
    void invalidJobParametersAreA400NamingTheParameter() throws Exception {
        HttpResponse<String> r = post("/api/jobs/finetune/executions",
                finetuneBody("bad", 2).replace("\"format\":\"chat\"", "\"format\":\"xml\""));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("job parameter 'format' = 'xml' is invalid: allowed: text, chat");
        HttpResponse<String> u = post("/api/jobs/nope/executions", "{}");
        assertThat(u.statusCode()).isEqualTo(404);
        assertThat(u.body()).contains("job 'nope' is unknown");
    }
}
