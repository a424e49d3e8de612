package io.bolmo.batch.partition;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.batch.integration.partition.StepExecutionRequest;

/**
 * A partition request on the broker as a small JSON object, {@code {"stepName": …, "stepExecutionId": …}}: readable
 * in the broker's tools, and no Java deserialisation of what arrives from the network.
 */
final class PartitionRequestConverter implements MessageConverter {

    @Override
    public Message toMessage(Object object, MessageProperties properties) {
        if (!(object instanceof StepExecutionRequest r)) {
            throw new MessageConversionException("only partition requests travel on this queue, not "
                    + (object == null ? "null" : object.getClass().getName()));
        }
        JsonObject o = new JsonObject();
        o.addProperty("stepName", r.getStepName());
        o.addProperty("stepExecutionId", r.getStepExecutionId());
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding("UTF-8");
        return new Message(o.toString().getBytes(StandardCharsets.UTF_8), properties);
    }

    @Override
    public Object fromMessage(Message message) {
        String body = new String(message.getBody(), StandardCharsets.UTF_8);
        try {
            JsonObject o = JsonParser.parseString(body).getAsJsonObject();
            return new StepExecutionRequest(o.get("stepName").getAsString(), o.get("stepExecutionId").getAsLong());
        } catch (RuntimeException e) {
            throw new MessageConversionException("not a partition request: " + body, e);
        }
    }
}
