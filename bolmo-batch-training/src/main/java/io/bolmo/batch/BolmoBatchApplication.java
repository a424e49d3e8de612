package io.bolmo.batch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Runs {@link BolmoBatchCommands}: {@code start key=value…}, {@code stop ID}, {@code restart [ID] [--recover]}. */
@SpringBootApplication
public class BolmoBatchApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(BolmoBatchApplication.class, args)));
    }
}
