package io.siyu.compliance.internal;

import io.siyu.compliance.PiiCipher;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the {@link PiiCipher} from the configured or locally generated keys; a bad key stops startup. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CryptoProperties.class)
class CipherConfig {

    @Bean
    PiiCipher piiCipher(CryptoProperties properties, @Value("${siyu.data-dir}") Path dataDir) {
        SecureRandom random = new SecureRandom();
        return new AesGcmPiiCipher(new KeyRingLoader(random).load(properties, dataDir), random);
    }
}
