package io.bolmo.batch.partition;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * What the partitioning needs from RabbitMQ besides sending and receiving requests: whether the broker answers, how
 * many workers consume the request queue, and leases that tell the manager a worker is alive.
 *
 * <p>A lease is an exclusive queue {@code QUEUE.lease.ID} that the worker running partition (step execution) ID
 * declares before it starts it and deletes after its result is stored. The broker deletes an exclusive queue as
 * soon as the connection that declared it closes: at once when the worker process dies (its socket closes), within
 * two missed AMQP heartbeats when its machine or network goes ({@code spring.rabbitmq.requested-heartbeat}). Another
 * connection sees a held lease as "locked" (405) and a released one as "not found" (404).
 */
public final class Broker {

    private static final int NOT_FOUND = 404;
    private static final int RESOURCE_LOCKED = 405;

    private final RabbitTemplate rabbit;
    private final String queue;

    Broker(RabbitTemplate rabbit, String queue) {
        this.rabbit = rabbit;
        this.queue = queue;
    }

    /** The request queue. */
    public String queue() {
        return queue;
    }

    /** Where the broker is, for messages: {@code amqp://host:port}. */
    public String address() {
        ConnectionFactory cf = rabbit.getConnectionFactory();
        return "amqp://" + cf.getHost() + ":" + cf.getPort() + cf.getVirtualHost();
    }

    /** Connects once; a broker that does not answer is an error naming it and the settings to change. */
    public void checkReachable() {
        try {
            rabbit.execute(channel -> null);
        } catch (AmqpException e) {
            throw new IllegalStateException("the RabbitMQ broker at " + address() + " is unreachable ("
                    + rootMessage(e) + "); check spring.rabbitmq.host, port, username and password, and that the"
                    + " broker runs", e);
        }
    }

    /** Workers consuming the request queue now (0 when the queue does not exist yet). */
    public int consumers() {
        return rabbit.execute(channel -> {
            try {
                return channel.queueDeclarePassive(queue).getConsumerCount();
            } catch (IOException e) {
                if (replyCode(e) == NOT_FOUND) {
                    return 0;
                }
                throw e;
            }
        });
    }

    /** Takes the lease of partition {@code id} for this JVM's connection. */
    public void hold(long id) {
        rabbit.execute(channel -> channel.queueDeclare(lease(id), false, true, true, null));
    }

    /** Gives the lease of partition {@code id} back. */
    public void release(long id) {
        rabbit.execute(channel -> channel.queueDelete(lease(id)));
    }

    /** Whether some live connection holds the lease of partition {@code id}. */
    public boolean held(long id) {
        return rabbit.execute(channel -> {
            try {
                channel.queueDeclarePassive(lease(id));
                return true; // held by this very connection
            } catch (IOException e) {
                int code = replyCode(e);
                if (code == RESOURCE_LOCKED || code == NOT_FOUND) {
                    return code == RESOURCE_LOCKED;
                }
                throw e;
            }
        });
    }

    private String lease(long id) {
        return queue + ".lease." + id;
    }

    /** Whether {@code t} is the broker's answer to a lease check (404 or 405 on a lease queue), not an error. */
    static boolean isLeaseAnswer(Throwable t) {
        return t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close c
                && (c.getReplyCode() == NOT_FOUND || c.getReplyCode() == RESOURCE_LOCKED)
                && c.getReplyText().contains(".lease.");
    }

    /** The AMQP reply code of a channel error (404, 405, …), or -1. */
    private static int replyCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException s && s.getReason() instanceof AMQP.Channel.Close c) {
                return c.getReplyCode();
            }
        }
        return -1;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
