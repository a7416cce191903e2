package io.popbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.popbridge.contract.Topics;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SharedInfrastructureTest {

    @Test
    void a_30_mib_record_goes_through_the_broker_unchanged() throws Exception {
        byte[] big = new byte[30 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        big[big.length - 1] = '\n';
        try (KafkaConsumer<String, byte[]> consumer = SharedKafka.consumerAtEnd(Topics.FETCHED);
             KafkaProducer<String, byte[]> producer = SharedKafka.producer()) {
            producer.send(new ProducerRecord<>(Topics.FETCHED, "k", big)).get();
            List<ConsumerRecord<String, byte[]>> got = SharedKafka.await(consumer, 1, r -> "k".equals(r.key()), Duration.ofSeconds(30));
            assertThat(got).hasSize(1);
            assertThat(got.get(0).value()).isEqualTo(big);
        }
        assertThat(SharedKafka.starts()).isEqualTo(1);
    }

    @Test
    void postgres_keeps_its_data_across_a_stop_and_start() throws Exception {
        Assumptions.assumeFalse(SharedPostgres.isExternal());
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("create table if not exists survivor(v text)");
            sql.execute("insert into survivor values ('still here')");
        }
        SharedPostgres.stop();
        SharedPostgres.start();
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select v from survivor")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(SharedPostgres.jdbcUrl(), SharedPostgres.username(), SharedPostgres.password());
    }
}
